print("plantgate")
