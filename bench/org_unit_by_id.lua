-- wrk script: GET /api/v1/org-units/{id} over ids spread across the table.
-- ZB_MAX_ID (environment) is the largest id the generator created.
-- ZB_COOKIE is the signed-in session ("zb_session=…").
local max_id = tonumber(os.getenv("ZB_MAX_ID") or "1000")
wrk.headers["Cookie"] = os.getenv("ZB_COOKIE") or ""
local counter = 0
request = function()
  counter = counter + 1
  local id = (counter * 7919) % max_id + 1
  return wrk.format("GET", "/api/v1/org-units/" .. id)
end
