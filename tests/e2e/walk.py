"""A person going through the pages in a real browser."""


class Walk:
    """A person going through the pages, with axe-core checking every page they reach.

    axe-core is JavaScript, so it runs in the journey with JavaScript on; the pages are the same
    server-rendered HTML either way, and the journey without it proves they work without it.
    """

    def __init__(self, visitor, base_url, assert_accessible):
        self.page, self.base_url, self.javascript = visitor.page, base_url, visitor.javascript
        self.check = assert_accessible if visitor.javascript else lambda page: None
        self.visited: list[str] = []

    def goto(self, path: str) -> None:
        self.page.goto(path if path.startswith("http") else self.base_url + path)
        self.arrived()

    def arrived(self) -> None:
        self.check(self.page)
        self.visited.append(self.page.url)

    def click(self, name: str, role: str = "button") -> None:
        self.page.get_by_role(role, name=name, exact=True).first.click()
        self.arrived()

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def tick(self, label: str) -> None:
        self.page.get_by_label(label, exact=True).check()

    def heading(self) -> str:
        return self.page.locator("h1").inner_text()
