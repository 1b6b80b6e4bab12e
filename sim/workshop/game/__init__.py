"""The workshop game: teams run copies of one organization and decide quarter by quarter.

- `rules`: quarters, what decisions cost in points, the hidden regimes;
- `scorecard`: the score, against the untouched organization, built to resist end-game tricks;
- `bots`: teams that play fixed strategies;
- `game`: a game, its teams and rounds, shared by every browser of the server;
- `debrief`: each team's path, the regime revealed, why the winners won, the export;
- `pages`: the facilitator's, the teams' and the debrief's pages (solara).
"""
