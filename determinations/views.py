from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from determinations.models import Determination


def determination_list(request: HttpRequest) -> HttpResponse:
    letters = Determination.objects.select_related("reviewer")[:50]
    return render(request, "determinations/list.html", {"letters": letters})


def determination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(Determination.objects.for_detail(), pk=pk)
    return render(request, "determinations/detail.html", {"letter": letter})
