-- wrk script: GET /api/v1/projects as the 项目库 page asks for it — facets
-- and counts included — rotating over typical filters, sorts and pages.
-- ZB_COOKIE (environment) is the signed-in session ("zb_session=…").
wrk.headers["Cookie"] = os.getenv("ZB_COOKIE") or ""
local queries = {
  "/api/v1/projects",
  "/api/v1/projects?stage=under_construction&sort=-total_investment&page=3",
  "/api/v1/projects?level=provincial,municipal&sort=planned_started_on",
  "/api/v1/projects?stage=preparing&level=county&page=2",
  "/api/v1/projects?min_investment=100000000&sort=-updated_at",
  "/api/v1/projects?start_kind=started_or_resumed&sort=name",
  "/api/v1/projects?project_type=continuing&stage=under_construction",
  "/api/v1/projects?sort=code&page=50",
}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", queries[(counter % #queries) + 1])
end
