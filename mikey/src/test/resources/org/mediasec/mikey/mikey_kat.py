#!/usr/bin/env python3
"""Known-answer vectors for mediasec's MIKEY crypto, computed independently of the Java code.

The PRF and key derivation follow RFC 3830 4.1.2-4.1.4 as written (Python's hmac/hashlib); AES-CM and AES-KW are
computed by the openssl command line (aes-128-ctr, id-aes128-wrap). Run it from this folder to regenerate
kat-vectors.properties:  python3 mikey_kat.py > kat-vectors.properties
"""
import hashlib
import hmac
import struct
import subprocess


def p(hash_name, secret, label, out_len):
    """RFC 3830 4.1.2 P function: A0 = label, Ai = HMAC(s, Ai-1), output HMAC(s, Ai || label) ..."""
    digest = getattr(hashlib, hash_name)
    a = label
    out = b""
    while len(out) < out_len:
        a = hmac.new(secret, a, digest).digest()
        out += hmac.new(secret, a + label, digest).digest()
    return out[:out_len]


def prf(hash_name, inkey, label, out_len):
    """RFC 3830 4.1.2: in-key split in 256-bit pieces, the pieces' P outputs XORed."""
    result = bytes(out_len)
    for i in range(0, len(inkey), 32):
        piece = p(hash_name, inkey[i:i + 32], label, out_len)
        result = bytes(x ^ y for x, y in zip(result, piece))
    return result


def label(constant, cs_id, csb_id, rand):
    return struct.pack(">IBI", constant, cs_id, csb_id) + rand


def openssl(cipher, key, iv, data):
    command = ["openssl", "enc", "-" + cipher, "-K", key.hex()] + (["-nopad"] if "ctr" in cipher else [])
    if iv is not None:
        command += ["-iv", iv.hex()]
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout


TEK, PSK_ENCR, PSK_AUTH, PSK_SALT = 0x2AD01C64, 0x150533E1, 0x2D22AC75, 0x29B88916
CSB_ID = 0x12345678
RAND = bytes(range(0xA0, 0xB0))
TGK = bytes(range(16))
LONG_TGK = bytes(range(40))  # two pieces: exercises the XOR of RFC 3830 4.1.2
PSK = bytes(range(0x30, 0x40))
T = 0x0102030405060708

vectors = {}
for name in ("sha1", "sha256"):
    vectors[f"prf.{name}.tek"] = prf(name, TGK, label(TEK, 1, CSB_ID, RAND), 16)
    vectors[f"prf.{name}.long"] = prf(name, LONG_TGK, label(TEK, 2, CSB_ID, RAND), 47)
encr = prf("sha1", PSK, label(PSK_ENCR, 0xFF, CSB_ID, RAND), 16)
auth = prf("sha1", PSK, label(PSK_AUTH, 0xFF, CSB_ID, RAND), 20)
salt = prf("sha1", PSK, label(PSK_SALT, 0xFF, CSB_ID, RAND), 14)
vectors["psk.encryption"] = encr
vectors["psk.authentication"] = auth
vectors["psk.salting"] = salt
# RFC 3830 4.2.3: IV = (S XOR (0x0000 || CSB ID || T)) || 0x0000
mix = struct.pack(">HIQ", 0, CSB_ID, T)
iv = bytes(s ^ m for s, m in zip(salt, mix)) + b"\x00\x00"
vectors["aescm.iv"] = iv
plain = bytes(range(0x40, 0x60))
vectors["aescm.plain"] = plain
vectors["aescm.cipher"] = openssl("aes-128-ctr", encr, iv, plain)
vectors["aeskw.cipher"] = openssl("id-aes128-wrap", encr, bytes.fromhex("A6A6A6A6A6A6A6A6"), plain)  # RFC 3394 default IV

for key in sorted(vectors):
    print(f"{key}={vectors[key].hex()}")
