module ${{values.module}}

go ${{values.go_version}}
