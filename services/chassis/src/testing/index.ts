export * from './kafka-collector';
export * from './mailpit';
export * from './test-infra';
export * from './wait-for';
export * from './openapi-fetch';
export * from './capturing-logger';
export * from './service-process';
export * from './span-recorder';
