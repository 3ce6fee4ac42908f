from surgery import create_app

app = create_app()
