import { bootstrap } from '@solar/chassis/bootstrap';

bootstrap('identity', () => require('./main') as typeof import('./main'));
