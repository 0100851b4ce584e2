import type { ApplicationView } from '../../src/workflow/schemas';

/** A partner's current application: the newest that is not rejected, else the newest. */
export function currentApplication(apps: ApplicationView[]): ApplicationView | undefined {
  const newestFirst = [...apps].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return newestFirst.find((a) => a.status !== 'rejected') ?? newestFirst[0];
}
