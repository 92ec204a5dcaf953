// Dates leave as RFC 3339 strings (what JSON.stringify writes for a Date): the contracts say string.
export const iso = (at: Date): string => at.toISOString();

export const isoOrNull = (at: Date | null): string | null => (at === null ? null : at.toISOString());
