/// A password of 24 random letters and digits (about 143 bits), fit for a command line and for
/// kadmin's `addprinc -pw` without quoting.
func randomPassword() -> String {
  let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
  var generator = SystemRandomNumberGenerator()
  return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
}
