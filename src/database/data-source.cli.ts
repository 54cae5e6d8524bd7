import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config.schema';
import { readEnv } from '../config/env';
import { dataSourceOptions } from './data-source';

/** For the TypeORM CLI: `typeorm -d dist/database/data-source.cli.js migration:run`. */
export default new DataSource(dataSourceOptions(loadConfig(readEnv()).database));
