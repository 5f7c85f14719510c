"""${{ values.name }} service."""
PORT = ${{ values.port }}
TAGS = ${{ values.tags | dump }}
