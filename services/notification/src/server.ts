import { bootstrap } from '@solar/chassis/bootstrap';

bootstrap('notification', () => require('./main') as typeof import('./main'));
