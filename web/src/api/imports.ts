// Excel/CSV imports (shared API.md "Imports", docs/api-projects.md): a
// template to download, then the file POSTed as multipart/form-data (field
// `file`) — first with `dry_run` (every problem as row, column, message;
// nothing written), then for real (all rows or none). Projects and
// enterprises answer alike.
import { downloadFile, http, isApiError } from './http'

export interface ImportProblem {
  /** The row as Excel numbers it. */
  row: number
  /** The column's header; '' for the file as a whole. */
  column: string
  message: string
}

export interface ImportResult {
  ok: boolean
  dry_run: boolean
  rows: number
  created: number
  updated: number
  errors: ImportProblem[]
}

/** Where an importer lives: its template and its import route. */
export interface ImportEndpoints {
  /** None for an importer whose file shape the dialog describes instead (the calendar's .csv). */
  template?: string
  import: string
}

export function downloadTemplate(endpoints: ImportEndpoints & { template: string }): Promise<string> {
  return downloadFile(endpoints.template, undefined, 'template.xlsx')
}

function isImportResult(body: unknown): body is ImportResult {
  return typeof body === 'object' && body !== null && Array.isArray((body as ImportResult).errors)
}

/**
 * Sends the file. A file with problems may come back as an HTTP error (422)
 * whose body still is the report: that is returned like a 200 answer. Other
 * refusals (too large, no permission…) throw as usual.
 */
export async function importFile(endpoints: ImportEndpoints, file: File, dryRun: boolean): Promise<ImportResult> {
  const form = new FormData()
  form.append('file', file, file.name)
  try {
    const answer = await http.post<ImportResult>(endpoints.import, form, { query: { dry_run: dryRun || undefined } })
    return { ...answer, errors: answer.errors ?? [] }
  } catch (e) {
    if (isApiError(e) && isImportResult(e.body)) return e.body
    throw e
  }
}
