import { bootstrap } from '@solar/chassis/bootstrap';

bootstrap('lifecycle', () => require('./main') as typeof import('./main'));
