import { bootstrap } from '@solar/chassis/bootstrap';

bootstrap('gateway', () => require('./main') as typeof import('./main'));
