from routeros_sim.main import main

main()
