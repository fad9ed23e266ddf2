-- wrk script: POST the 100-byte sha256 request as JSON.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"algorithm":"sha256","data":"' .. string.rep("a", 100) .. '"}'
