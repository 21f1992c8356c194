from isp_cli.main import main

main()
