import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { RawSqlResultsToEntityTransformer } from 'typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer';

/**
 * A joined select that TypeORM builds once (the first time it runs); every call runs that SQL with its own
 * positional parameters and hydrates the rows with TypeORM's own transformer. For the hot reads of candidates'
 * answers, where building the query cost more than running it. Parameters go in the order the SQL names them;
 * pass dates through `dbDate` (./db-date).
 */
export class PreparedSelect<T extends ObjectLiteral> {
  /** Per DataSource: the SQL is in its driver's dialect. */
  private readonly built = new WeakMap<DataSource, { sql: string; qb: SelectQueryBuilder<T> }>();

  constructor(private readonly build: (db: DataSource) => SelectQueryBuilder<T>) {}

  async many(db: DataSource, params: unknown[]): Promise<T[]> {
    let built = this.built.get(db);
    if (!built) {
      const qb = this.build(db);
      built = { sql: qb.getQueryAndParameters()[0], qb };
      this.built.set(db, built);
    }
    const { sql, qb } = built;
    const raw: ObjectLiteral[] = await db.query(sql, params);
    if (!raw.length) return [];
    return new RawSqlResultsToEntityTransformer(qb.expressionMap, db.driver, []).transform(raw, qb.expressionMap.mainAlias!) as T[];
  }
}
