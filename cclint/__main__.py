from cclint.main import main

main()
