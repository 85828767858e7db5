import { bootstrap } from '@solar/chassis/bootstrap';

bootstrap('web', () => require('./main') as typeof import('./main'));
