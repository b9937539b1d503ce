extension WindowsError {
  /// ERROR_INVALID_LABEL: the SID cannot be assigned as the object's label (a label above the
  /// creator's integrity level without SeRelabelPrivilege).
  public static let invalidLabel = WindowsError(code: 1299, name: "ERROR_INVALID_LABEL")
}
