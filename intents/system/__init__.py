"""Reports the state of this machine: battery, CPU, memory, disk, uptime and network."""
