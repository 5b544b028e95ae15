from regionplans.cli import main

main()
