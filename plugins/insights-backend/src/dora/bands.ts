/**
 * DORA performance bands, from Google Cloud's "Accelerate State of DevOps Report 2023"
 * (the software delivery performance clusters: elite, high, medium, low).
 * The report gives ranges with gaps between them; each band here starts where the
 * report's band starts and runs up to the next one, so every value has a band.
 */
export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

const HOURS_PER_DAY = 24;

/**
 * Deployment frequency, as deployments per week (the mean over the trailing four
 * weeks): elite deploys on demand (daily or more), high between daily and weekly,
 * medium between weekly and monthly, low less than monthly.
 */
export function deploymentFrequencyBand(perWeek: number): DoraBand {
  if (perWeek >= 7) {
    return 'elite';
  }
  if (perWeek >= 1) {
    return 'high';
  }
  if (perWeek >= 0.25) {
    return 'medium';
  }
  return 'low';
}

/** Change failure rate (0..1): elite up to 5%, high up to 10%, medium up to 15%. */
export function changeFailureRateBand(rate: number): DoraBand {
  if (rate <= 0.05) {
    return 'elite';
  }
  if (rate <= 0.1) {
    return 'high';
  }
  if (rate <= 0.15) {
    return 'medium';
  }
  return 'low';
}

/** Time to restore in hours: elite under an hour, high under a day, medium under a week. */
export function timeToRestoreBand(hours: number): DoraBand {
  if (hours < 1) {
    return 'elite';
  }
  if (hours < HOURS_PER_DAY) {
    return 'high';
  }
  if (hours < 7 * HOURS_PER_DAY) {
    return 'medium';
  }
  return 'low';
}
