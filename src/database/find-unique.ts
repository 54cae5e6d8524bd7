import type { FindManyOptions, ObjectLiteral, Repository } from 'typeorm';

/**
 * One row by a unique key, with its many-to-one relations joined, in one query. `findOne` with relations
 * runs two (a DISTINCT id query for its LIMIT 1, then the joined select); by a unique key there is nothing to page.
 */
export async function findUnique<T extends ObjectLiteral>(repo: Repository<T>, options: FindManyOptions<T>): Promise<T | null> {
  const rows = await repo.find(options);
  return rows[0] ?? null;
}
