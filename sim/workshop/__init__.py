"""The workshop: a live web page for trainers, built on Mesa's SolaraViz (`salesorg workshop`).

One job per module:

- `controls`: the levers a trainer moves, labelled in the room's language (pure Python);
- `models`: the organization on the page, and two organizations stepped together;
- `charts`: the live charts (matplotlib figures from a snapshot of a run);
- `network`: the organization drawn as a network;
- `panels`: the solara pieces (lever cards, headline numbers, chart images);
- `app`: the pages and their routes, served by solara;
- `launch`: the `salesorg workshop` command.

Only `app` and `panels` import solara, so the rest is usable and testable without it.
"""
