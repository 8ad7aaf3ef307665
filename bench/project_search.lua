-- wrk script: GET /api/v1/projects?q=… — keyword search over the 项目库:
-- Chinese substrings of three characters and more, two-character words,
-- traditional characters and pinyin initials.
wrk.headers["Cookie"] = os.getenv("ZB_COOKIE") or ""
local words = {"新材料", "光伏", "產業園", "年产", "智能制造", "yt", "道路", "医养"}
local counter = 0
request = function()
  counter = counter + 1
  local q = words[(counter % #words) + 1]
  local encoded = q:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end)
  return wrk.format("GET", "/api/v1/projects?q=" .. encoded)
end
