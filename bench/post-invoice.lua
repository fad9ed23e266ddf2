-- wrk: POST bench/invoice.json to /api/v1/pdf/generate (bench/pdf-invoice.sh).
local f = assert(io.open("bench/invoice.json", "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
