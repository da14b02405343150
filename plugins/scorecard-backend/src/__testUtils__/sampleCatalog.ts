import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

// The sample organization at the root of the repository, read as the catalog would.
const catalogDir = path.resolve(__dirname, '../../../../catalog');

function load(file: string): Entity[] {
  const text = fs.readFileSync(path.join(catalogDir, file), 'utf8');
  return parseAllDocuments(text).map(doc => doc.toJS() as Entity);
}

/** The services of catalog/services.yaml. */
export const sampleServices = load('services.yaml');

/** The whole sample catalog: organization, domains and systems, services. */
export const sampleCatalog = [
  ...load('org.yaml'),
  ...load('domains.yaml'),
  ...sampleServices,
];
