#!/usr/bin/python3
# Prints (hex) the PAC test vector `PACVectors.sambaMarshalledPAC` of Tests/NTSecurityTests:
# a PAC built with Samba's own NDR marshaller (python3-samba 4.22, run with /usr/bin/python3),
# so the Swift decoder is checked against an independent encoder: LOGON_INFO with ExtraSids and
# resource groups, CLIENT_INFO, extended UPN_DNS_INFO, XPRESS_HUFF-compressed client claims
# (Samba's compressor), DEVICE_INFO, device claims, ATTRIBUTES_INFO, REQUESTOR, signatures.
from samba.dcerpc import krb5pac, security, lsa, claims, samr, netlogon
from samba.ndr import ndr_pack, ndr_unpack
import sys

def lstr(s):
    x = lsa.String(); x.string = s; return x
def lstrl(s):
    x = lsa.StringLarge(); x.string = s; return x
def rids(pairs):
    a = samr.RidWithAttributeArray()
    out = []
    for r, at in pairs:
        g = samr.RidWithAttribute(); g.rid = r; g.attributes = at; out.append(g)
    a.rids = out; a.count = len(out)
    return a

dom = security.dom_sid("S-1-5-21-1111111111-2222222222-3333333333")
res_dom = security.dom_sid("S-1-5-21-3444444444-555555555-666666666")

base = netlogon.netr_SamBaseInfo()
base.logon_time = 0x01DA000000000000
base.logoff_time = 0x7FFFFFFFFFFFFFFF
base.kickoff_time = 0x7FFFFFFFFFFFFFFF
base.last_password_change = 0x01D9000000000000
base.allow_password_change = 0x01D9000100000000
base.force_password_change = 0x7FFFFFFFFFFFFFFF
base.account_name = lstr("alice")
base.full_name = lstr("Alice Ärger")
base.logon_script = lstr("")
base.profile_path = lstr("")
base.home_directory = lstr("")
base.home_drive = lstr("")
base.logon_count = 7
base.bad_password_count = 1
base.rid = 1104
base.primary_gid = 513
base.groups = rids([(513, 7), (1105, 7), (512, 7)])
base.user_flags = 0x20 | 0x200
base.logon_server = lstrl("DC1")
base.logon_domain = lstrl("SAMDOM")
base.domain_sid = dom
base.acct_flags = 0x10
info3 = netlogon.netr_SamInfo3()
info3.base = base
extra = []
for s, at in [("S-1-18-1", 7), ("S-1-5-21-0-0-0-497", 7), ("S-1-5-21-1111111111-2222222222-3333333333-1200", 0x20000007)]:
    sa = netlogon.netr_SidAttr(); sa.sid = security.dom_sid(s); sa.attributes = at; extra.append(sa)
info3.sids = extra
info3.sidcount = len(extra)

logon = krb5pac.PAC_LOGON_INFO()
logon.info3 = info3
rg = krb5pac.PAC_DOMAIN_GROUP_MEMBERSHIP()
rg.domain_sid = res_dom
rg.groups = rids([(3000, 0x20000007), (3001, 0x20000007)])
logon.resource_groups = rg
logon_ctr = krb5pac.PAC_LOGON_INFO_CTR()
logon_ctr.info = logon

upn = krb5pac.PAC_UPN_DNS_INFO()
upn.upn_name = "alice@samdom.example.com"
upn.dns_domain_name = "SAMDOM.EXAMPLE.COM"
upn.flags = krb5pac.PAC_UPN_DNS_FLAG_HAS_SAM_NAME_AND_SID
ex = krb5pac.PAC_UPN_DNS_INFO_SAM_NAME_AND_SID()
ex.samaccountname = "alice"
ex.objectsid = security.dom_sid("S-1-5-21-1111111111-2222222222-3333333333-1104")
upn.ex = ex

def claims_blob(entries, compress_hint):
    arr = claims.CLAIMS_ARRAY()
    arr.claims_source_type = claims.CLAIMS_SOURCE_TYPE_AD
    ces = []
    for cid, ctype, vals in entries:
        e = claims.CLAIM_ENTRY(); e.id = cid; e.type = ctype
        if ctype == claims.CLAIM_TYPE_STRING:
            v = claims.CLAIM_STRING(); v.values = vals; v.value_count = len(vals)
        elif ctype == claims.CLAIM_TYPE_INT64:
            v = claims.CLAIM_INT64(); v.values = vals; v.value_count = len(vals)
        else:
            v = claims.CLAIM_UINT64(); v.values = vals; v.value_count = len(vals)
        e.values = v
        ces.append(e)
    arr.claim_entries = ces; arr.claims_count = len(ces)
    cs = claims.CLAIMS_SET(); cs.claims_arrays = [arr]; cs.claims_array_count = 1
    csn = claims.CLAIMS_SET_NDR(); ctr = claims.CLAIMS_SET_CTR(); ctr.claims = cs; csn.claims = ctr
    md = claims.CLAIMS_SET_METADATA()
    md.claims_set = csn
    md.compression_format = claims.CLAIMS_COMPRESSION_FORMAT_XPRESS_HUFF if compress_hint else claims.CLAIMS_COMPRESSION_FORMAT_NONE
    mdn = claims.CLAIMS_SET_METADATA_NDR(); mctr = claims.CLAIMS_SET_METADATA_CTR(); mctr.metadata = md; mdn.claims = mctr
    return ndr_pack(mdn)

user_claims = claims_blob([
    ("ad://ext/department:88d6c4e9c5a4b1e0", claims.CLAIM_TYPE_STRING, ["Engineering"] * 1),
    ("ad://ext/otherTelephone:88d6c4e9c5a4b1e1", claims.CLAIM_TYPE_STRING, ["+1 555 %04d" % i for i in range(40)]),
    ("ad://ext/employeeNumber:88d6c4e9c5a4b1e2", claims.CLAIM_TYPE_INT64, [-42, 7]),
], True)
device_claims = claims_blob([("ad://ext/managed:1", claims.CLAIM_TYPE_UINT64, [1])], False)

dev = krb5pac.PAC_DEVICE_INFO()
dev.rid = 1300
dev.primary_gid = 515
dev.domain_sid = dom
dev.groups = rids([(515, 7), (1301, 7)])
dsa = netlogon.netr_SidAttr(); dsa.sid = security.dom_sid("S-1-5-21-0-0-0-496"); dsa.attributes = 7
dev.sids = [dsa]; dev.sid_count = 1
dgm = krb5pac.PAC_DOMAIN_GROUP_MEMBERSHIP(); dgm.domain_sid = res_dom; dgm.groups = rids([(3002, 0x20000007)])
dev.domain_groups = [dgm]; dev.domain_group_count = 1
dev_ctr = krb5pac.PAC_DEVICE_INFO_CTR(); dev_ctr.info = dev

name = krb5pac.PAC_LOGON_NAME(); name.logon_time = 0x01DA000000000000; name.account_name = "alice"
srv = krb5pac.PAC_SIGNATURE_DATA(); srv.type = 16; srv.signature = b"\x11" * 12
kdc = krb5pac.PAC_SIGNATURE_DATA(); kdc.type = 16; kdc.signature = b"\x22" * 12
attrs = krb5pac.PAC_ATTRIBUTES_INFO(); attrs.flags_length = 2; attrs.flags = krb5pac.PAC_ATTRIBUTE_FLAG_PAC_WAS_REQUESTED
req = krb5pac.PAC_REQUESTER_SID(); req.sid = security.dom_sid("S-1-5-21-1111111111-2222222222-3333333333-1104")

def buf(t, info):
    b = krb5pac.PAC_BUFFER(); b.type = t; b.info = info; return b

bufs = [
    buf(krb5pac.PAC_TYPE_LOGON_INFO, logon_ctr),
    buf(krb5pac.PAC_TYPE_LOGON_NAME, name),
    buf(krb5pac.PAC_TYPE_UPN_DNS_INFO, upn),
    buf(krb5pac.PAC_TYPE_CLIENT_CLAIMS_INFO, None),
    buf(krb5pac.PAC_TYPE_DEVICE_INFO, dev_ctr),
    buf(krb5pac.PAC_TYPE_DEVICE_CLAIMS_INFO, None),
    buf(krb5pac.PAC_TYPE_ATTRIBUTES_INFO, attrs),
    buf(krb5pac.PAC_TYPE_REQUESTER_SID, req),
    buf(krb5pac.PAC_TYPE_SRV_CHECKSUM, srv),
    buf(krb5pac.PAC_TYPE_KDC_CHECKSUM, kdc),
]
pd = krb5pac.PAC_DATA()
pd.buffers = bufs
pd.num_buffers = len(bufs)
pd.version = 0
raw = ndr_pack(pd)
# Claims buffers are opaque blobs in Samba's PAC_DATA IDL; splice them via PAC_DATA_RAW.
rawpd = ndr_unpack(krb5pac.PAC_DATA_RAW, raw)
for b in rawpd.buffers:
    if b.type == krb5pac.PAC_TYPE_CLIENT_CLAIMS_INFO:
        b.info = krb5pac.DATA_BLOB_REM(); b.info.remaining = user_claims; b.ndr_size = len(user_claims)
    if b.type == krb5pac.PAC_TYPE_DEVICE_CLAIMS_INFO:
        b.info = krb5pac.DATA_BLOB_REM(); b.info.remaining = device_claims; b.ndr_size = len(device_claims)
raw = ndr_pack(rawpd)
sys.stdout.write(raw.hex())
