/** A page request as the API takes it: `page` from 1, `pageSize` rows per page. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> {
  data: T[];
  meta: { page: number; pageSize: number; total: number };
}

export const offsetOf = ({ page, pageSize }: PageRequest) => (page - 1) * pageSize;

export const pageOf = <T>(data: T[], request: PageRequest, total: number): Page<T> => ({
  data,
  meta: { page: request.page, pageSize: request.pageSize, total },
});

/** `text` as a literal ILIKE substring pattern: the user's `%` and `_` match themselves. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const iso = (date: Date) => date.toISOString();
