print("plantgated")
