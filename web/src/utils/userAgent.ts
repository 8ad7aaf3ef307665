// "Mozilla/5.0 (Windows NT 10.0; Win64; x64) … Chrome/126.0.0.0 Safari/537.36"
// → "Chrome 126 · Windows": enough to recognise one's own browser in 在线用户
// and 登录日志; the full string stays available as a tooltip.

// Order matters: Edge and 360/QQ/Sogou say "Chrome" too, Chrome says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/MicroMessenger\/(\d+)/, '微信'],
  [/DingTalk\/(\d+)/, '钉钉'],
  [/QQBrowser\/(\d+)/, 'QQ'],
  [/MetaSr\s?(\d+)?/, '搜狗'],
  [/360SE|360EE|QihooBrowser/, '360'],
  [/(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/(?:Headless)?Chrom(?:e|ium)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[\d.]* .*Safari\//, 'Safari'],
  [/(?:MSIE |Trident\/.*rv:)(\d+)/, 'IE'],
  [/curl\/(\d+)/, 'curl'],
]

const SYSTEMS: [RegExp, string][] = [
  [/Windows NT/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/UOS|Deepin/, '统信 UOS'],
  [/Kylin/, '麒麟'],
  [/Linux/, 'Linux'],
]

/** A short "browser version · system" for a User-Agent header; '' for none. */
export function summariseUserAgent(ua: string | null | undefined): string {
  if (!ua) return ''
  let browser = ''
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua)
    if (m) {
      browser = m[1] ? `${name} ${m[1]}` : name
      break
    }
  }
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? ''
  if (!browser && !system) return ua.length > 40 ? `${ua.slice(0, 40)}…` : ua
  return [browser, system].filter(Boolean).join(' · ')
}
