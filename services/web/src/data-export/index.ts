import type { Feature } from '@solar/chassis';
import { dataExportRoutes } from './data-export.routes';

export function dataExportFeature(): Feature {
  return { routes: dataExportRoutes };
}
