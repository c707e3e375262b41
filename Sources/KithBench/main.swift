print("KithBench: benchmarks arrive with the directory and graph measurements.")
