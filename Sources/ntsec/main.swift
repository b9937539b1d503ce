import NTSecurity

print("placeholder")
