from cclint.cli import main

main()
