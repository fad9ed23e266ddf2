-- wrk: POST bench/invoice.json to /api/v1/pdf/generate (bench/pdf-invoice.sh), each request with
-- its own invoice number and quantity, so no two documents are the same (Typst memoises work
-- on identical input across calls; a benchmark of one repeated invoice would measure that).
local f = assert(io.open("bench/invoice.json", "r"))
local body = f:read("*a")
f:close()
local n = 0
request = function()
  n = n + 1
  local b = body:gsub("INV%-2026%-0042", "INV-" .. n):gsub('"quantity": 3', '"quantity": ' .. (n % 97 + 1))
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, b)
end
