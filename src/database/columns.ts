import { Column, ColumnOptions } from 'typeorm';

/** Column shapes that mean the same on SQLite and MySQL/MariaDB. */
export const DateTimeColumn = (options: ColumnOptions = {}) => Column({ type: 'datetime', precision: 3, ...options });
export const JsonTextColumn = (options: ColumnOptions = {}) =>
  Column({
    type: 'text',
    transformer: { to: (v: unknown) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v)), from: (v: string | null) => (v == null ? v : JSON.parse(v)) },
    ...options,
  });
