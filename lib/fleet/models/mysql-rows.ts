/**
 * The rows written on the simulated MySQL servers, as counts per table: enough for a write and
 * read probe (`INSERT …; SELECT COUNT(*) …`). Each row belongs to the server that took the write
 * (its origin), and a server's rows replicate in order, so a server's copy of a table is, per
 * origin, how many of that origin's rows it has applied (a vector clock). A replica that stops
 * replicating misses what is written after, and gets it when it connects again. Not modelled:
 * row contents, deletes, tables that do not exist, conflicts between two masters that both wrote.
 */
export class MysqlRows {
  /** server → table (`db.table`) → origin server → rows of that origin applied. */
  readonly #servers = new Map<string, Map<string, Map<string, number>>>();

  /** A row written on `server`. */
  insert(server: string, table: string): void {
    const origins = this.#table(server, table);
    origins.set(server, (origins.get(server) ?? 0) + 1);
  }

  /** `SELECT COUNT(*)` on `server`. */
  count(server: string, table: string): number {
    let rows = 0;
    for (const n of this.#servers.get(server)?.get(table)?.values() ?? []) rows += n;
    return rows;
  }

  /** Applies on `replica` the rows `master` has and it has not; true when there were any. */
  apply(master: string, replica: string): boolean {
    let changed = false;
    for (const [table, origins] of this.#servers.get(master) ?? []) {
      const mine = this.#table(replica, table);
      for (const [origin, n] of origins) {
        if ((mine.get(origin) ?? 0) >= n) continue;
        mine.set(origin, n);
        changed = true;
      }
    }
    return changed;
  }

  #table(server: string, table: string): Map<string, number> {
    const tables = this.#servers.get(server) ?? new Map<string, Map<string, number>>();
    this.#servers.set(server, tables);
    const origins = tables.get(table) ?? new Map<string, number>();
    tables.set(table, origins);
    return origins;
  }
}
