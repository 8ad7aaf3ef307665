import { http } from './http'

/** `GET /api/v1/system/info` */
export interface SystemInfo {
  name: string
  version: string
  database: string
}

export function getSystemInfo(signal?: AbortSignal): Promise<SystemInfo> {
  return http.get<SystemInfo>('/system/info', { signal })
}
