import Foundation
import TestPeers
import Testing

/// DsCrackNames over DRSUAPI (`ntsec ds crack`) against Samba's python DRSUAPI client
/// (samba.dcerpc.drsuapi) on the test DC: the oracle table's cases, then generated names of
/// accounts created for the test. Every status, domain and result string must be equal.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CrackNames {
  /// The DS_NAME_FORMAT numbers by the CLI's names (written out here, not taken from the module).
  static let formats: [String: UInt32] = [
    "unknown": 0, "fqdn_1779": 1, "nt4_account": 2, "display": 3, "unique_id": 6, "canonical": 7,
    "user_principal": 8, "canonical_ex": 9, "service_principal": 10, "sid_or_sid_history": 11,
    "dns_domain": 12, "list_sites": 0xFFFF_FFFF, "list_roles": 0xFFFF_FFFA, "list_domains": 0xFFFF_FFF7,
    "list_ncs": 0xFFFF_FFF6, "nt4_account_sans_domain": 0xFFFF_FFF9, "string_sid": 0xFFFF_FFF4,
    "list_servers_in_site": 0xFFFF_FFFE, "list_info_for_server": 0xFFFF_FFFB,
    "user_principal_for_logon": 0xFFFF_FFF2, "list_global_catalog_servers": 0xFFFF_FFF1,
  ]

  /// The oracle: one python process answering every request line `OFFERED<TAB>DESIRED<TAB>FLAGS<TAB>NAME`
  /// with `STATUS<TAB>DOMAIN<TAB>RESULT` (control characters as \xHH, as ntsec prints them).
  static let oracle = #"""
    import os, sys
    from samba.param import LoadParm
    from samba.credentials import Credentials, MUST_USE_KERBEROS
    from samba import drs_utils
    from samba.dcerpc import drsuapi
    lp = LoadParm(); lp.load(os.environ["AD_DC_SMB_CONF"])
    c = Credentials(); c.guess(lp)
    c.set_username(os.environ["AD_DC_ADMIN_USER"]); c.set_password(os.environ["AD_DC_ADMIN_PASSWORD"])
    c.set_domain(os.environ["AD_DC_DOMAIN"]); c.set_realm(os.environ["AD_DC_REALM"])
    c.set_kerberos_state(MUST_USE_KERBEROS)
    drs, handle, _ = drs_utils.drsuapi_connect(os.environ["AD_DC_HOST"], lp, c)
    words = ["DS_NAME_NO_ERROR", "DS_NAME_ERROR_RESOLVING", "DS_NAME_ERROR_NOT_FOUND",
             "DS_NAME_ERROR_NOT_UNIQUE", "DS_NAME_ERROR_NO_MAPPING", "DS_NAME_ERROR_DOMAIN_ONLY",
             "DS_NAME_ERROR_NO_SYNTACTICAL_MAPPING", "DS_NAME_ERROR_TRUST_REFERRAL"]
    def esc(s):
        return "" if s is None else "".join("\\x%02x" % ord(ch) if ord(ch) < 32 or ord(ch) == 127 else ch for ch in s)
    for line in sys.stdin:
        offered, desired, flags, name = line.rstrip("\n").split("\t", 3)
        req = drsuapi.DsNameRequest1()
        req.codepage = 0; req.language = 0x409; req.format_flags = int(flags)
        req.format_offered = int(offered); req.format_desired = int(desired)
        n = drsuapi.DsNameString(); n.str = name; req.names = [n]; req.count = 1
        _, ctr = drs.DsCrackNames(handle, 1, req)
        for item in (ctr.array or []) if ctr is not None else []:
            word = words[item.status] if item.status < len(words) else "DS_NAME_ERROR_%d" % item.status
            print("%s\t%s\t%s" % (word, esc(item.dns_domain_name), esc(item.result_name)))
        print("", flush=True)
    """#

  struct Request: Hashable {
    var from: String
    var to: String
    var name: String
    var flags: UInt32 = 0
  }

  /// The oracle's lines for each of `requests`, in order (one per name; a list format's, one per
  /// listed name).
  static func oracleAnswers(_ requests: [Request]) throws -> [[String]] {
    let script = NSTemporaryDirectory() + "ntsec-crack-oracle-\(getpid()).py"
    try oracle.write(toFile: script, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: script) }
    let input = requests.map { "\(formats[$0.from]!)\t\(formats[$0.to]!)\t\($0.flags)\t\($0.name)\n" }
      .joined()
    let r = try DomainController.run(["/usr/bin/python3", script], input: input)
    guard r.status == 0 else { throw TestFailure(text: "oracle: \(r.stderr)") }
    var answers: [[String]] = [[]]
    for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
      if line.isEmpty { answers.append([]) } else { answers[answers.count - 1].append(String(line)) }
    }
    return Array(answers.dropLast())
  }

  /// ntsec's lines for `requests`: one `ntsec ds crack` per (from, to, flags), names on stdin.
  static func ntsecAnswers(_ requests: [Request]) throws -> [String] {
    guard let ntsec = builtProduct("ntsec") else {
      throw TestFailure(text: "ntsec is not built next to the tests")
    }
    var answers = [String?](repeating: nil, count: requests.count)
    let groups = Dictionary(grouping: requests.indices) {
      "\(requests[$0].from) \(requests[$0].to) \(requests[$0].flags)"
    }
    let ccache = "FILE:\(NSTemporaryDirectory())ntsec-crack-\(getpid())"
    for (_, indices) in groups {
      let first = requests[indices[0]]
      let r = try DomainController.run(
        [
          "sh", "-c",
          "export KRB5CCNAME=\(ccache); printf '%s\\n' \"$AD_DC_ADMIN_PASSWORD\" | kinit \"$AD_DC_ADMIN_USER@$AD_DC_REALM\" >/dev/null "
            + "&& exec \"$0\" ds crack --from \"$1\" --to \"$2\" --flags \"$3\"",
          ntsec, first.from, first.to, String(first.flags),
        ], input: indices.map { requests[$0].name + "\n" }.joined())
      guard r.status == 0 else { throw TestFailure(text: "ntsec ds crack: \(r.stderr)") }
      let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
      guard lines.count == indices.count else {
        throw TestFailure(text: "ntsec ds crack: \(lines.count) lines for \(indices.count) names")
      }
      for (i, line) in zip(indices, lines) { answers[i] = String(line) }
    }
    return answers.map { $0 ?? "" }
  }

  static func compare(_ requests: [Request]) throws {
    let expected = try oracleAnswers(requests)
    let got = try ntsecAnswers(requests)
    #expect(expected.count == requests.count)
    for (i, request) in requests.enumerated() where i < expected.count {
      #expect([got[i]] == expected[i], "\(request.from) → \(request.to) \(request.name)")
    }
  }

  /// `ntsec ds crack` of one name: its whole output, one line per item.
  static func ntsecLines(_ request: Request) throws -> [String] {
    guard let ntsec = builtProduct("ntsec") else {
      throw TestFailure(text: "ntsec is not built next to the tests")
    }
    let ccache = "FILE:\(NSTemporaryDirectory())ntsec-crack-\(getpid())"
    let r = try DomainController.run([
      "sh", "-c",
      "export KRB5CCNAME=\(ccache); printf '%s\\n' \"$AD_DC_ADMIN_PASSWORD\" | kinit \"$AD_DC_ADMIN_USER@$AD_DC_REALM\" >/dev/null "
        + "&& exec \"$0\" ds crack --from \"$1\" --to \"$2\" --flags \"$3\" -- \"$4\"",
      ntsec, request.from, request.to, String(request.flags), request.name,
    ])
    guard r.status == 0 else { throw TestFailure(text: "ntsec ds crack: \(r.stderr)") }
    return r.stdout.split(separator: "\n").map(String.init)
  }

  /// Attributes of directory objects, by ldbsearch on the DC's database.
  static func objects(_ filter: String) throws -> [[String: [String]]] {
    let r = try DomainController.run([
      "sh", "-c",
      "ldbsearch -H \"$AD_DC_DIR/dc/private/sam.ldb\" \"$0\" sAMAccountName objectGUID objectSid userPrincipalName servicePrincipalName",
      filter,
    ])
    guard r.status == 0 else { throw TestFailure(text: "ldbsearch: \(r.stderr)") }
    var out: [[String: [String]]] = []
    for record in r.stdout.replacingOccurrences(of: "\n ", with: "").components(separatedBy: "\n\n") {
      var entry: [String: [String]] = [:]
      for line in record.split(separator: "\n") where !line.hasPrefix("#") {
        guard let colon = line.range(of: ": ") else { continue }
        entry[String(line[..<colon.lowerBound]), default: []].append(String(line[colon.upperBound...]))
      }
      if entry["dn"] != nil, entry["sAMAccountName"] != nil { out.append(entry) }
    }
    return out
  }

  @Test func theOracleTable() throws {
    let env = try DomainController.environment()
    let domain = env["AD_DC_DOMAIN"]!
    let dns = env["AD_DC_DNS_DOMAIN"]!
    let alice = env["AD_DC_ALICE_DN"] ?? "CN=alice,CN=Users,\(env["AD_DC_BASE_DN"]!)"
    let sid = try #require(try Self.objects("(sAMAccountName=alice)").first?["objectSid"]?.first)
    let requests = [
      Request(from: "nt4_account", to: "fqdn_1779", name: "\(domain)\\alice"),
      Request(from: "user_principal", to: "nt4_account", name: "alice@\(dns)"),
      Request(from: "fqdn_1779", to: "canonical", name: alice),
      Request(from: "fqdn_1779", to: "canonical_ex", name: alice),
      Request(from: "fqdn_1779", to: "unique_id", name: alice),
      Request(from: "sid_or_sid_history", to: "nt4_account", name: sid),
      Request(from: "service_principal", to: "fqdn_1779", name: env["AD_DC_HTTP_SPN"]!),
      Request(from: "nt4_account", to: "fqdn_1779", name: "\(domain)\\nosuch"),
      Request(from: "nt4_account", to: "fqdn_1779", name: "\(domain)\\"),
    ]
    let got = try Self.ntsecAnswers(requests)
    // The table's own results first, then the oracle's strings.
    #expect(got[0] == "DS_NAME_NO_ERROR\t\(dns)\tCN=alice,CN=Users,\(env["AD_DC_BASE_DN"]!)")
    #expect(got[1] == "DS_NAME_NO_ERROR\t\(dns)\t\(domain)\\alice")
    #expect(got[2] == "DS_NAME_NO_ERROR\t\(dns)\t\(dns)/Users/alice")
    #expect(got[3] == "DS_NAME_NO_ERROR\t\(dns)\t\(dns)/Users\\x0aalice")
    #expect(got[4].hasPrefix("DS_NAME_NO_ERROR\t\(dns)\t{") && got[4].hasSuffix("}"))
    #expect(got[7].hasPrefix("DS_NAME_ERROR_NOT_FOUND\t"))
    #expect(got[8] == "DS_NAME_NO_ERROR\t\(dns)\t\(env["AD_DC_BASE_DN"]!)")
    #expect(got.map { [$0] } == (try Self.oracleAnswers(requests)))
  }

  /// Users (half in an OU), groups and computers created for the test with ldbadd, plus the DC's
  /// own accounts: each by NT4 name, DN, UPN, GUID, SID, canonical name and SPN, into several
  /// formats; then names that do not exist and names of another domain. At least 200 names.
  @Test func generatedNamesAgreeWithSamba() throws {
    let env = try DomainController.environment()
    let base = env["AD_DC_BASE_DN"]!
    let dns = env["AD_DC_DNS_DOMAIN"]!
    let domain = env["AD_DC_DOMAIN"]!
    let tag = "crk\(getpid() % 100000)"
    var ldif = "dn: OU=\(tag),\(base)\nobjectClass: organizationalUnit\n\n"
    for i in 0..<12 {
      let container = i % 2 == 0 ? "CN=Users,\(base)" : "OU=\(tag),\(base)"
      ldif += """
        dn: CN=\(tag)u\(i),\(container)
        objectClass: user
        sAMAccountName: \(tag)u\(i)
        userPrincipalName: \(tag)u\(i)@\(dns)
        displayName: Crack User \(i)
        servicePrincipalName: HTTP/\(tag)u\(i).\(dns)


        """
    }
    for i in 0..<6 {
      ldif += "dn: CN=\(tag)g\(i),CN=Users,\(base)\nobjectClass: group\nsAMAccountName: \(tag)g\(i)\n\n"
      ldif += """
        dn: CN=\(tag.uppercased())C\(i),CN=Computers,\(base)
        objectClass: computer
        sAMAccountName: \(tag.uppercased())C\(i)$
        dNSHostName: \(tag)c\(i).\(dns)
        servicePrincipalName: HOST/\(tag)c\(i).\(dns)


        """
    }
    let add = try DomainController.run(
      ["sh", "-c", "ldbadd -H \"$AD_DC_DIR/dc/private/sam.ldb\""], input: ldif)
    #expect(add.status == 0, "ldbadd: \(add.stderr)")
    defer {
      _ = try? DomainController.run(
        [
          "sh", "-c",
          "ldbdel -r -H \"$AD_DC_DIR/dc/private/sam.ldb\" \"$0\"; for d in \"$@\"; do ldbdel -H \"$AD_DC_DIR/dc/private/sam.ldb\" \"$d\"; done",
          "OU=\(tag),\(base)",
        ] + (0..<12).filter { $0 % 2 == 0 }.map { "CN=\(tag)u\($0),CN=Users,\(base)" }
          + (0..<6).flatMap {
            ["CN=\(tag)g\($0),CN=Users,\(base)", "CN=\(tag.uppercased())C\($0),CN=Computers,\(base)"]
          })
    }
    let accounts = try Self.objects(
      "(|(sAMAccountName=\(tag)*)(sAMAccountName=alice)(sAMAccountName=bob)(sAMAccountName=\(env["AD_DC_SERVICE"]!))"
        + "(sAMAccountName=Administrator)(sAMAccountName=DC1$)(sAMAccountName=ntsec-*)(sAMAccountName=Domain Users)"
        + "(sAMAccountName=krbtgt)(sAMAccountName=Guest))")
    #expect(accounts.count >= 34, "\(accounts.count) accounts")
    var requests: [Request] = []
    var names = Set<String>()
    func ask(_ from: String, _ name: String, _ targets: [String]) {
      names.insert(name)
      for to in targets { requests.append(Request(from: from, to: to, name: name)) }
    }
    for a in accounts {
      let dn = a["dn"]![0]
      let sam = a["sAMAccountName"]![0]
      ask(
        "nt4_account", "\(domain)\\\(sam)",
        ["fqdn_1779", "canonical", "unique_id", "user_principal", "display"])
      // SPNs only of this test's accounts and the DC's fixed ones: the AccountSPNs suites add and
      // remove SPNs of the service account and bob while this runs.
      let ours = sam.lowercased().hasPrefix(tag)
      ask(
        "fqdn_1779", dn,
        ["nt4_account", "canonical_ex", "sid_or_sid_history"] + (ours ? ["service_principal"] : []))
      ask("unknown", dn, ["nt4_account"])
      if let upn = a["userPrincipalName"]?.first { ask("user_principal", upn, ["nt4_account", "fqdn_1779"]) }
      if let guid = a["objectGUID"]?.first {
        ask("unique_id", "{\(guid)}", ["fqdn_1779", "nt4_account"])
        ask("unknown", "{\(guid)}", ["canonical"])
      }
      if let sid = a["objectSid"]?.first {
        ask("sid_or_sid_history", sid, ["nt4_account", "fqdn_1779"])
        ask("unknown", sid, ["user_principal"])
      }
      let parts = dn.split(separator: ",").map { String($0.split(separator: "=", maxSplits: 1).last ?? "") }
      ask("canonical", "\(dns)/" + parts.dropLast(3).reversed().joined(separator: "/"), ["fqdn_1779"])
      let fixed = [env["AD_DC_HTTP_SPN"]!, env["AD_DC_HOST_SPN"]!]
      for spn in a["servicePrincipalName"] ?? [] where ours || fixed.contains(spn) || sam == "DC1$" {
        ask("service_principal", spn, ["fqdn_1779"])
      }
    }
    for i in 0..<8 {
      ask("nt4_account", "\(domain)\\nosuch\(tag)\(i)", ["fqdn_1779"])
      ask("user_principal", "nosuch\(i)@\(dns)", ["fqdn_1779"])
      ask("unique_id", "{\(UUID().uuidString.lowercased())}", ["fqdn_1779"])
      ask("sid_or_sid_history", "S-1-5-21-1-2-3-\(5000 + i)", ["nt4_account"])
      ask("nt4_account", "OTHER\(i)\\alice", ["fqdn_1779"])
      ask("user_principal", "alice@other\(i).example", ["nt4_account"])
      ask("fqdn_1779", "CN=alice,CN=Users,DC=other\(i),DC=example", ["nt4_account"])
      ask("canonical", "other\(i).example/Users/alice", ["fqdn_1779"])
      ask("service_principal", "HTTP/nosuch\(i).\(dns)", ["fqdn_1779"])
      ask("unknown", "nosuch-\(tag)-\(i)", ["fqdn_1779"])
    }
    ask("nt4_account", "\(domain)\\", ["fqdn_1779", "canonical"])
    ask("fqdn_1779", base, ["canonical", "nt4_account", "dns_domain"])
    #expect(names.count >= 200, "\(names.count) names")
    try Self.compare(requests)
  }

  /// The special formats DsList* use, with names the DC knows, and DS_NAME_FLAG_SYNTACTICAL_ONLY.
  @Test func listFormatsAndFlagsAgreeWithSamba() throws {
    let env = try DomainController.environment()
    let base = env["AD_DC_BASE_DN"]!
    let site = "CN=Default-First-Site-Name,CN=Sites,CN=Configuration,\(base)"
    let server = "CN=DC1,CN=Servers,\(site)"
    var requests = [
      Request(from: "list_sites", to: "fqdn_1779", name: ""),
      Request(from: "list_roles", to: "fqdn_1779", name: ""),
      Request(from: "list_domains", to: "fqdn_1779", name: ""),
      Request(from: "list_ncs", to: "fqdn_1779", name: ""),
      Request(from: "list_servers_in_site", to: "fqdn_1779", name: site),
      Request(from: "list_info_for_server", to: "fqdn_1779", name: server),
      Request(from: "list_global_catalog_servers", to: "fqdn_1779", name: ""),
      Request(from: "nt4_account_sans_domain", to: "fqdn_1779", name: "alice"),
      Request(from: "user_principal_for_logon", to: "fqdn_1779", name: "alice@\(env["AD_DC_DNS_DOMAIN"]!)"),
      Request(from: "fqdn_1779", to: "string_sid", name: "CN=alice,CN=Users,\(base)"),
    ]
    for flags: UInt32 in [1, 2, 4, 8] {
      requests.append(
        Request(from: "fqdn_1779", to: "canonical", name: "CN=alice,CN=Users,\(base)", flags: flags))
      requests.append(
        Request(from: "nt4_account", to: "fqdn_1779", name: "\(env["AD_DC_DOMAIN"]!)\\alice", flags: flags))
    }
    let expected = try Self.oracleAnswers(requests)
    #expect(expected.count == requests.count)
    for (request, lines) in zip(requests, expected) {
      #expect(try Self.ntsecLines(request) == lines, "\(request.from) → \(request.to) \(request.name)")
    }
    // DS_LIST_ROLES names the DC's NTDS Settings for each of the five roles.
    #expect(expected[1].count == 5 && expected[1].allSatisfy { $0.contains("CN=NTDS Settings,CN=DC1,") })
  }

  /// A capture on the DC's loopback during `ntsec ds crack`: the DRSUAPI interface's UUID is in
  /// the clear (the bind), the name asked for and the DN answered never are, in UTF-16 or UTF-8.
  @Test func drsuapiTrafficIsSealed() throws {
    let env = try DomainController.environment()
    guard let ntsec = builtProduct("ntsec") else {
      throw TestFailure(text: "ntsec is not built next to the tests")
    }
    let capture = NSTemporaryDirectory() + "ntsec-ds-drsuapi-\(getpid()).pcap"
    defer { try? FileManager.default.removeItem(atPath: capture) }
    let ccache = "FILE:\(NSTemporaryDirectory())ntsec-crack-seal-\(getpid())"
    let r = try DomainController.run([
      "sh", "-c",
      "export KRB5CCNAME=\(ccache); printf '%s\\n' \"$AD_DC_ADMIN_PASSWORD\" | kinit \"$AD_DC_ADMIN_USER@$AD_DC_REALM\" >/dev/null || exit 3; "
        + "tcpdump --immediate-mode -Z root -U -i lo -w \"$0\" 'tcp and not port 88 and not port 389' 2>/dev/null & t=$!; "
        + "i=0; while [ ! -s \"$0\" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; "
        + "\"$1\" ds crack --from nt4_account --to fqdn_1779 \"$AD_DC_DOMAIN\\\\alice\"; s=$?; "
        + "sleep 0.5; kill -KILL $t; wait $t; exit $s",
      capture, ntsec,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("CN=alice,CN=Users,"), "\(r.stdout)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: capture))
    let uuid = Data([
      0x35, 0x42, 0x51, 0xE3, 0x06, 0x4B, 0xD1, 0x11, 0xAB, 0x04, 0x00, 0xC0, 0x4F, 0xC2, 0xDC, 0xD2,
    ])
    #expect(bytes.range(of: uuid) != nil, "no DRSUAPI bind in the capture of \(bytes.count) bytes")
    for text in ["\(env["AD_DC_DOMAIN"]!)\\alice", "CN=alice,CN=Users"] {
      #expect(bytes.range(of: Data(text.utf8)) == nil, "\(text) travelled in the clear")
      #expect(
        bytes.range(of: Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })) == nil,
        "\(text) travelled in the clear (UTF-16)")
    }
  }

  /// Failures name the host and the step with the Windows code: no route to the DC (connect,
  /// ERROR_NO_SUCH_DOMAIN), a name that does not resolve, and no Kerberos ticket (the DC's
  /// endpoint mapper answers, then auth fails with ERROR_ACCESS_DENIED).
  @Test func failuresNameTheDCAndTheStep() throws {
    guard let ntsec = builtProduct("ntsec") else {
      throw TestFailure(text: "ntsec is not built next to the tests")
    }
    func crack(_ dc: String) throws -> (status: Int32, stdout: String, stderr: String) {
      try DomainController.run([
        "env", "KRB5CCNAME=FILE:/nonexistent/ccache", ntsec, "ds", "crack", "--dc", dc, "--timeout", "2",
        "--from",
        "nt4_account", "--to", "fqdn_1779", "X\\y",
      ])
    }
    let unreachable = try crack("192.0.2.1")
    #expect(unreachable.status == 1)
    #expect(
      unreachable.stderr.contains("ERROR_NO_SUCH_DOMAIN")
        && unreachable.stderr.contains("RPC 192.0.2.1: connect")
        && unreachable.stderr.contains("port 135"), "\(unreachable.stderr)")
    let unknown = try crack("nosuch.invalid")
    #expect(unknown.status == 1 && unknown.stderr.contains("ERROR_NO_SUCH_DOMAIN"), "\(unknown.stderr)")
    let noTicket = try crack("127.0.0.2")
    #expect(
      noTicket.status == 1 && noTicket.stderr.contains("ERROR_ACCESS_DENIED")
        && noTicket.stderr.contains("RPC 127.0.0.2: auth"), "\(noTicket.stderr)")
  }

  /// 600 names in one call: the request (about 30 KB) and the response (about 60 KB) travel in
  /// many fragments of at most 5,840 bytes each way; every answer equals the single name's.
  @Test func fragmentedBothWays() throws {
    let env = try DomainController.environment()
    let name = "\(env["AD_DC_DOMAIN"]!)\\alice"
    let many = try Self.ntsecAnswers(
      Array(repeating: Request(from: "nt4_account", to: "fqdn_1779", name: name), count: 600))
    let one = try Self.oracleAnswers([Request(from: "nt4_account", to: "fqdn_1779", name: name)])
    #expect(many.count == 600 && one.count == 1)
    #expect(many.allSatisfy { [$0] == one[0] }, "\(Set(many))")
  }
}
