import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { RawSqlResultsToEntityTransformer } from 'typeorm/query-builder/transformer/RawSqlResultsToEntityTransformer';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import { sqliteStatements } from './sqlite-statements';

/** How one alias of the select becomes an entity: its columns' result keys, and its selected to-one joins. */
interface Hydration {
  metadata: EntityMetadata;
  columns: { key: string; column: ColumnMetadata }[];
  joins: { property: string; hydration: Hydration }[];
}

/**
 * A joined select that TypeORM builds once (the first time it runs); every call runs that SQL with its own
 * positional parameters. For the hot reads of candidates' answers, where building the query cost more than running
 * it. Rows are hydrated by a plan made once from TypeORM's own metadata (each column's result key and its driver
 * and transformer conversion, as TypeORM applies them) when every join is a selected to-one relation (one entity
 * per row); otherwise by TypeORM's transformer. Parameters go in the order the SQL names them; pass dates through
 * `dbDate` (./db-date).
 */
export class PreparedSelect<T extends ObjectLiteral> {
  /** Per DataSource: the SQL is in its driver's dialect. Build it with string placeholder values (TypeORM writes numbers into SQLite's SQL). */
  private readonly built = new WeakMap<DataSource, { sql: string; qb: SelectQueryBuilder<T>; hydration: Hydration | null }>();

  /** `adapt` rewrites the built SQL once, for what TypeORM cannot say (an index hint). */
  constructor(
    private readonly build: (db: DataSource) => SelectQueryBuilder<T>,
    private readonly adapt: (sql: string, db: DataSource) => string = (sql) => sql,
  ) {}

  async many(db: DataSource, params: unknown[]): Promise<T[]> {
    let built = this.built.get(db);
    if (!built) {
      const qb = this.build(db);
      const main = qb.expressionMap.mainAlias!;
      built = { sql: this.adapt(qb.getQueryAndParameters()[0], db), qb, hydration: hydrationOf(qb, db, main.name, main.metadata) };
      this.built.set(db, built);
    }
    const { sql, qb, hydration } = built;
    const sqlite = sqliteStatements(db);
    const raw = (sqlite ? sqlite.run(sql, params).rows : await db.query(sql, params)) as ObjectLiteral[];
    if (!raw.length) return [];
    if (hydration) {
      const out: T[] = [];
      for (const row of raw) {
        const entity = hydrate(db, row, hydration);
        if (entity) out.push(entity as T);
      }
      return out;
    }
    return new RawSqlResultsToEntityTransformer(qb.expressionMap, db.driver, []).transform(raw, qb.expressionMap.mainAlias!) as T[];
  }
}

function hydrationOf(qb: SelectQueryBuilder<ObjectLiteral>, db: DataSource, alias: string, metadata: EntityMetadata): Hydration | null {
  if (metadata.afterLoadListeners.length || metadata.relationIds.length) return null;
  const columns = metadata.columns.filter((column) => !column.isVirtual).map((column) => ({ key: DriverUtils.buildAlias(db.driver, undefined, alias, column.databaseName), column }));
  const joins: Hydration['joins'] = [];
  for (const join of qb.expressionMap.joinAttributes) {
    if (join.parentAlias !== alias) continue;
    const relation = join.relation;
    if (!join.isSelected || !relation || !(relation.isManyToOne || relation.isOneToOneOwner) || join.mapToProperty) return null;
    const sub = hydrationOf(qb, db, join.alias.name, join.metadata!);
    if (!sub) return null;
    joins.push({ property: relation.propertyName, hydration: sub });
  }
  return { metadata, columns, joins };
}

/** The entity of one row, or undefined when the alias has no data in it (an unmatched left join). */
function hydrate(db: DataSource, row: ObjectLiteral, h: Hydration): ObjectLiteral | undefined {
  const entity = h.metadata.create(undefined, { fromDeserializer: true }) as ObjectLiteral;
  let hasData = false;
  for (const { key, column } of h.columns) {
    const value: unknown = row[key];
    if (value === undefined) continue;
    if (value !== null) hasData = true;
    column.setEntityValue(entity, db.driver.prepareHydratedValue(value, column));
  }
  if (!hasData) return undefined;
  // As TypeORM does: a to-one join that found nothing is null.
  for (const j of h.joins) entity[j.property] = hydrate(db, row, j.hydration) ?? null;
  return entity;
}
