from django.http import HttpResponse


def report_index(request):
    return HttpResponse("todo")


report_detail = report_pdf = report_index
