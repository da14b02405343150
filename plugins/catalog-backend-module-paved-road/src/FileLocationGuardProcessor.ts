import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { FileLocationPolicy } from './fileLocations';

/**
 * Runs before the catalog's own file reader and stops it from reading a `file` location
 * the policy refuses, whoever asked for it: a registration, a dry run, or a Location
 * entity in a registered file whose targets point elsewhere. The location gets an error
 * that says why; nothing of the file is read.
 */
export class FileLocationGuardProcessor implements CatalogProcessor {
  constructor(private readonly policy: FileLocationPolicy) {}

  getProcessorName(): string {
    return 'PavedRoadFileLocationGuardProcessor';
  }

  // Before FileReaderProcessor (default priority 20).
  getPriority(): number {
    return 10;
  }

  async readLocation(
    location: LocationSpec,
    _optional: boolean,
    emit: CatalogProcessorEmit,
  ): Promise<boolean> {
    if (location.type !== 'file') {
      return false;
    }
    const problem = this.policy.problem(location.target);
    if (problem === undefined) {
      return false;
    }
    emit(processingResult.inputError(location, problem));
    return true;
  }
}
