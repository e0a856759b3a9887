"""Sends COUNT DPoP proofs, each signed by the flooder's own P-256 key with a fresh jti of the longest length Rotor
accepts, to POST /v1/auth/token/refresh with a junk refresh token: what anyone can do without an account. Prints one
JSON line: how many answers of each status, and the rate. Bounded: COUNT requests, at most LIMIT seconds."""
import base64, http.client, json, os, sys, threading, time, urllib.parse
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

url, count, threads, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
target = urllib.parse.urlparse(url)
htu = url.rstrip("/") + "/v1/auth/token/refresh"

def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

key = ec.generate_private_key(ec.SECP256R1())
numbers = key.public_key().public_numbers()
header = b64(json.dumps({"typ": "dpop+jwt", "alg": "ES256", "jwk": {
    "kty": "EC", "crv": "P-256", "x": b64(numbers.x.to_bytes(32, "big")), "y": b64(numbers.y.to_bytes(32, "big"))}},
    separators=(",", ":")).encode())

def proof(index):
    claims = {"jti": "%010d" % index + "j" * 118, "htm": "POST", "htu": htu, "iat": int(time.time())}
    signing_input = header + "." + b64(json.dumps(claims, separators=(",", ":")).encode())
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

body = json.dumps({"refresh_token": "rtr_junk"})
statuses, lock, start = {}, threading.Lock(), time.time()

def worker(first):
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    seen = {}
    for index in range(first, count, threads):
        if time.time() - start > limit: break
        connection.request("POST", "/v1/auth/token/refresh", body=body,
                           headers={"Content-Type": "application/json", "DPoP": proof(index)})
        response = connection.getresponse(); response.read()
        seen[response.status] = seen.get(response.status, 0) + 1
    with lock:
        for status, n in seen.items(): statuses[status] = statuses.get(status, 0) + n

workers = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
for w in workers: w.start()
for w in workers: w.join()
elapsed = time.time() - start
sent = sum(statuses.values())
print(json.dumps({"sent": sent, "statuses": statuses, "seconds": round(elapsed, 1), "rps": round(sent / elapsed)}))
