Copied too: ${{ values.name }}
