This file is copied as it is: ${{ values.name }} {% raw %}stays{% endraw %}
