import { bootstrap } from '@solar/chassis';

bootstrap(() => require('./main') as typeof import('./main'));
