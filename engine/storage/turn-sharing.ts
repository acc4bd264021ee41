// Whether the work of one turn of the event loop is worth sharing. Two things are done once per turn
// for every request the loop read in it: the database's reads share one read transaction
// (Database.holdReadsForTurn) and the endpoint's answers are written together (main/server/handler.ts,
// OutgoingBatch). Both pay a setImmediate per turn, which is only an extra step when a turn holds one
// request (one client, one request in flight). So after `stopAfterSingles` turns of one use, sharing
// stops; while stopped, every `probeEvery` uses one turn is watched, and sharing starts again when
// several uses meet in it.
export class TurnSharing {
  /** Whether uses are shared now (else each goes on alone). */
  active = true;
  private singles = 0;
  /** Uses that went on alone since the last probe. */
  private sinceProbe = 0;
  /** Uses in the watched turn, or -1 when no turn is watched. */
  private probed = -1;
  private readonly endProbe = (): void => {
    if (this.probed > 1) this.active = true;
    this.probed = -1;
  };

  constructor(
    private readonly stopAfterSingles: number,
    private readonly probeEvery: number,
  ) {}

  /** Counts a use that goes on alone (sharing is stopped): it may start watching a turn. */
  alone(): void {
    if (this.probed >= 0) this.probed++;
    else if (++this.sinceProbe >= this.probeEvery) {
      this.sinceProbe = 0;
      this.probed = 1;
      setImmediate(this.endProbe);
    }
  }

  /** A shared turn ended, with `uses` uses in it. */
  turnEnded(uses: number): void {
    if (uses > 1) this.singles = 0;
    else if (++this.singles >= this.stopAfterSingles) {
      this.singles = 0;
      this.active = false;
      this.sinceProbe = 0;
    }
  }
}
