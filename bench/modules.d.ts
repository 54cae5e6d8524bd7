declare module 'autocannon';
declare module 'better-sqlite3';
